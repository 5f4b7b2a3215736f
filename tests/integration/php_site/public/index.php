<?php
// Front controller: names itself and the request it was asked for.
header('Content-Type: text/plain');
echo "front controller: ", $_SERVER['REQUEST_URI'], "\n";
