<?php
header('Content-Disposition: attachment; filename="report.txt"');
header('X-Accel-Redirect: ' . ($_GET['to'] ?? '/assets/report.txt'));
echo "this body is replaced\n";
