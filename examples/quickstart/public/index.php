<?php
// The quickstart page, rendered by PHP in the managed php-fpm pool that fluxheim started.
declare(strict_types=1);

function h(?string $s): string
{
    return htmlspecialchars($s ?? '', ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

$worker = function_exists('posix_getpwuid') ? (posix_getpwuid(posix_geteuid())['name'] ?? '?') : '?';
$fpm = function_exists('fpm_get_status') ? fpm_get_status() : false;
$facts = [
    'PHP version' => PHP_VERSION,
    'SAPI' => PHP_SAPI,
    'Gateway' => $_SERVER['SERVER_SOFTWARE'] ?? '',
    'Managed pool' => $_SERVER['FLUXHEIM_POOL'] ?? '',
    'php-fpm pool' => $fpm ? $fpm['pool'] . ' (pm ' . $fpm['process-manager'] . ', '
        . $fpm['total-processes'] . ' workers)' : '',
    'Worker' => $worker . ', pid ' . getmypid(),
    // fluxheim starts php-fpm with an empty environment plus a fixed PATH.
    'PATH' => (string) getenv('PATH'),
];
$request = [
    'Method' => $_SERVER['REQUEST_METHOD'] ?? '',
    'Request URI' => $_SERVER['REQUEST_URI'] ?? '',
    'Script' => $_SERVER['SCRIPT_FILENAME'] ?? '',
    'Host' => $_SERVER['HTTP_HOST'] ?? '',
    'Client' => ($_SERVER['REMOTE_ADDR'] ?? '') . ':' . ($_SERVER['REMOTE_PORT'] ?? ''),
    'User agent' => $_SERVER['HTTP_USER_AGENT'] ?? '',
];
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fluxheim quickstart</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
<h1>PHP is running under Fluxheim</h1>
<p>This page is <code>examples/quickstart/public/index.php</code>, executed by a private
php-fpm pool that <code>fluxheim</code> configured, started and supervises (managed mode).</p>

<h2>This PHP</h2>
<table>
<?php foreach ($facts as $name => $value): ?>
  <tr><th><?= h($name) ?></th><td><code><?= h((string) $value) ?></code></td></tr>
<?php endforeach; ?>
</table>

<h2>This request</h2>
<table>
<?php foreach ($request as $name => $value): ?>
  <tr><th><?= h($name) ?></th><td><code><?= h($value) ?></code></td></tr>
<?php endforeach; ?>
</table>

<h2>What just happened</h2>
<ol>
  <li><code>fluxc build examples/quickstart/site.toml</code> validated the TOML configuration and
  compiled it into an immutable binary snapshot, <code>build/quickstart.fxs</code>.</li>
  <li><code>fluxheim run build/quickstart.fxs</code> verified the snapshot, wrote a php-fpm config
  into <code>/run/fluxheim/quickstart/</code>, started <code>php-fpm -F -y</code> with an empty
  environment, waited for its socket, and only then began accepting connections.</li>
  <li>Your request matched the vhost <code>quickstart</code>; the static handler declined the PHP
  directory index, and the <code>[vhosts.php]</code> handler sent it to the pool over FastCGI.</li>
</ol>

<h2>Try it</h2>
<ul>
  <li><code>curl -i http://127.0.0.1:8080/</code>: the response headers, as shaped by fluxheim.</li>
  <li><code>kill -9 $(cat /run/fluxheim/quickstart/*.pid)</code> kills the php-fpm master:
  fluxheim logs the exit and respawns the pool within seconds; reload this page.</li>
  <li><code>ls /run/fluxheim/quickstart/</code>: the generated config, socket, pid and log of
  the pool. Ctrl-C stops fluxheim, which stops php-fpm and removes all but the log.</li>
  <li><code>build/bin/fluxc check examples/quickstart/site.toml</code> validates the config the way
  CI does; break a key and it reports <code>file:line:col</code> with the reason.</li>
</ul>
</main>
</body>
</html>
