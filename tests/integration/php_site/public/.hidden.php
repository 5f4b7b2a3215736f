<?php echo 'hidden'; ?>
