<?php
// Writes `mb` MiB of 'x'.
$mb = (int)($_GET['mb'] ?? 1);
$chunk = str_repeat('x', 1 << 20);
for ($i = 0; $i < $mb; $i++) {
    echo $chunk;
}
