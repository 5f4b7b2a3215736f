<?php
// Cache tests: counts its own executions in COUNTER_DIR/<n>, so a test can prove that a cache
// HIT did not run PHP. Optional: sleep (ms), status, cc (Cache-Control), cookie, expires (X-Accel-Expires).
$name = preg_replace('/[^a-z0-9_-]/', '', $_GET['n'] ?? 'default');
$file = $_SERVER['COUNTER_DIR'] . '/' . $name;
$fp = fopen($file, 'c+');
flock($fp, LOCK_EX);
$count = (int)stream_get_contents($fp) + 1;
ftruncate($fp, 0);
rewind($fp);
fwrite($fp, (string)$count);
fflush($fp);
flock($fp, LOCK_UN);
fclose($fp);
if (isset($_GET['sleep'])) {
    usleep((int)$_GET['sleep'] * 1000);
}
if (isset($_GET['status'])) {
    http_response_code((int)$_GET['status']);
}
if (isset($_GET['cc'])) {
    header('Cache-Control: ' . $_GET['cc']);
}
if (isset($_GET['cookie'])) {
    setcookie('sid', 'secret-session');
}
if (isset($_GET['expires'])) {
    header('X-Accel-Expires: ' . $_GET['expires']);
}
header('Content-Type: text/plain');
header('X-Powered-By: PHP/test');
echo "run $count of $name\n";
