#pragma once
// A temporary PHP root with scripts, static files, hidden files, a FIFO and symlinks that
// point inside and outside it; shared by the resolver and offload tests.

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace flux::runtime::php::test {

namespace fs = std::filesystem;

struct Tree {
  fs::path base;
  fs::path root;

  Tree() {
    std::string tmpl = (fs::temp_directory_path() / "flux-php-resolver-XXXXXX").string();
    base = fs::path(::mkdtemp(tmpl.data()));
    root = base / "root";
    const fs::path out = base / "outside";
    for (const char* d : {"root", "root/blog", "root/empty", "root/uploads", "root/.git",
                          "root/dir.php", "root/lib", "outside"}) {
      fs::create_directories(base / d);
    }
    for (const char* f :
         {"root/index.php", "root/info.php", "root/style.css", "root/readme", "root/blog/index.php",
          "root/blog/post.php", "root/uploads/evil.php", "root/uploads/x.jpg", "root/.git/config",
          "root/.env", "root/.hidden.php", "root/lib/real.php", "outside/secret.php",
          "outside/index.php", "root/download.zip", "root/app.PHP", "root/wp-config", "root/file.",
          "outside/x.zip"}) {
      std::ofstream(base / f) << "<?php echo 1;";
    }
    fs::create_symlink("info.php", root / "link_in.php");
    fs::create_symlink("../outside/secret.php", root / "link_out.php");
    fs::create_symlink(out / "secret.php", root / "abs_out.php");
    fs::create_symlink("../outside", root / "linkdir");
    fs::create_symlink("info.php", root / "txt_to_php.txt");
    fs::create_symlink("style.css", root / "php_to_txt.php");
    fs::create_symlink(".hidden.php", root / "to_hidden.php");
    fs::create_symlink("loop.php", root / "loop.php");
    fs::create_symlink("blog/../info.php", root / "updir.php");
    fs::create_symlink("uploads/evil.php", root / "uploads_link.php");
    fs::create_symlink("lib/../../outside/index.php", root / "dotdot_out.php");
    fs::create_symlink("/proc/self/cwd/x.php", root / "magic.php");
    fs::create_symlink("lib", root / "libdir");
    fs::create_symlink("../outside/x.zip", root / "out.zip");
    fs::create_symlink("info.php", root / "script.zip");
    ::mkfifo((root / "fifo.zip").c_str(), 0600);
    ::mkfifo((root / "fifo.php").c_str(), 0600);
  }
  ~Tree() { fs::remove_all(base); }
};

inline Tree& tree() {
  static Tree t;
  return t;
}

}  // namespace flux::runtime::php::test
