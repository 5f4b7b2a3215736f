<?php
sleep((int)($_GET['s'] ?? 5));
echo "slept\n";
