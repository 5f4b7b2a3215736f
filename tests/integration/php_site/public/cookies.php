<?php
setcookie('first', 'one');
setcookie('second', 'two', ['httponly' => true]);
header('X-Powered-By: PHP/secret');
echo "cookies set\n";
