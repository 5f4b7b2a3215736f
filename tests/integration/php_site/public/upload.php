<?php
// Hashes the body as PHP received it.
$in = fopen('php://input', 'rb');
$ctx = hash_init('sha256');
$n = 0;
while (!feof($in)) {
    $chunk = fread($in, 1 << 20);
    $n += strlen($chunk);
    hash_update($ctx, $chunk);
}
header('Content-Type: text/plain');
echo $_SERVER['CONTENT_LENGTH'], " ", $n, " ", hash_final($ctx), "\n";
