<?php
// Which identity the php-fpm worker runs as, and the SAPI.
header('Content-Type: application/json');
$user = posix_getpwuid(posix_geteuid());
echo json_encode(['user' => $user['name'], 'uid' => posix_geteuid(), 'sapi' => PHP_SAPI]);
