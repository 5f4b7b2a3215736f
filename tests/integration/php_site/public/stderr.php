<?php
error_log("something odd \x01 happened");
echo "ok\n";
