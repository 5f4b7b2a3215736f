# Prints a one-vhost site whose [vhosts.php] uses the preset named by the first argument; further
# arguments are extra lines for the [vhosts.php] table.
import sys

extra = "\n".join(sys.argv[2:])
print(f"""[[vhosts]]
name = "app"
hosts = ["app.test"]
[vhosts.php]
enabled = true
root = "/"
preset = "{sys.argv[1]}"
fpm = {{ socket = "/run/php/fpm.sock" }}
{extra}""")
