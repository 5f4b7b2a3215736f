<?php
// Echoes what PHP sees of the request, for the $_SERVER assertions.
header('Content-Type: application/json');
$keys = ['GATEWAY_INTERFACE', 'SERVER_SOFTWARE', 'SERVER_PROTOCOL', 'REQUEST_METHOD',
         'SCRIPT_NAME', 'SCRIPT_FILENAME', 'QUERY_STRING', 'REQUEST_URI', 'DOCUMENT_ROOT',
         'DOCUMENT_URI', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_ADDR', 'SERVER_PORT',
         'SERVER_NAME', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'REQUEST_SCHEME', 'HTTPS',
         'REDIRECT_STATUS', 'PATH_INFO', 'PATH_TRANSLATED', 'HTTP_HOST', 'HTTP_COOKIE',
         'HTTP_PROXY', 'HTTP_X_FORWARDED_FOR', 'HTTP_X_CUSTOM', 'HTTP_AUTHORIZATION',
         'APP_ENV', 'FLUX_TEST_SECRET'];
$out = [];
foreach ($keys as $k) {
    if (array_key_exists($k, $_SERVER)) {
        $out[$k] = $_SERVER[$k];
    }
}
$out['_headers'] = array_values(array_filter(array_keys($_SERVER), fn($k) => str_starts_with($k, 'HTTP_')));
$out['_body'] = file_get_contents('php://input');
$out['_getenv_secret'] = getenv('FLUX_TEST_SECRET');
$out['_env_secret'] = $_ENV['FLUX_TEST_SECRET'] ?? null;
echo json_encode($out);
