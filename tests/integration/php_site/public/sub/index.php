<?php
echo "sub index: ", $_SERVER['SCRIPT_NAME'], "\n";
