<?php echo "EXECUTED"; ?>
