<?php
http_response_code((int)($_GET['code'] ?? 200));
header('X-From-Php: yes');
if (isset($_GET['retry'])) {
    header('Retry-After: 7');
}
echo "php body for ", $_GET['code'] ?? 200, "\n";
