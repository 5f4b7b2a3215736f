# Prints a one-vhost site whose [vhosts.php] uses the preset named on the command line.
import sys

print(f"""[[vhosts]]
name = "app"
hosts = ["app.test"]
[vhosts.php]
enabled = true
root = "/"
preset = "{sys.argv[1]}"
fpm = {{ socket = "/run/php/fpm.sock" }}""")
