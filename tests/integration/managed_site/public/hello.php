<?php
// The smallest PHP response: used for pm modes, restarts and the managed-vs-external benchmark.
echo "hello from php-fpm\n";
