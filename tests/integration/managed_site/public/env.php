<?php
// What PHP can see of its process environment (php-behaviour.md §14.3: an empty environment
// plus the fixed PATH).
header('Content-Type: application/json');
$secret = 'FLUX_TEST_SECRET';
echo json_encode([
    'getenv_secret' => getenv($secret),
    'server_secret' => $_SERVER[$secret] ?? null,
    'env_secret' => $_ENV[$secret] ?? null,
    'path' => getenv('PATH'),
    'environment' => getenv(),
]);
