#include "runtime/static/dir_listing.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "runtime/http/uri.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::statics {
namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string human_size(long long size, bool exact) {
  if (exact || size < 1024) return std::to_string(size);
  const char* units = "KMGT";
  double v = static_cast<double>(size);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%c", v, units[u]);
  return buf;
}

struct Entry {
  std::string name;
  bool dir = false;
  long long size = 0;
  std::time_t mtime = 0;
};

std::vector<Entry> read_entries(int dir_fd) {
  std::vector<Entry> entries;
  const int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return entries;
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return entries;
  }
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    struct stat st {};
    if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;
    entries.push_back({e->d_name, S_ISDIR(st.st_mode), static_cast<long long>(st.st_size),
                       st.st_mtim.tv_sec});
  }
  ::closedir(d);
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.dir != b.dir ? a.dir : a.name < b.name;
  });
  return entries;
}

}  // namespace

http::Response render_listing(int dir_fd, const std::string& url_path,
                              const fxs::DirectoryListing& options) {
  const std::string title = html_escape(url_path);
  std::string body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of " +
                     title + "</title></head>\n<body><h1>Index of " + title +
                     "</h1><hr><pre><a href=\"../\">../</a>\n";
  for (const Entry& e : read_entries(dir_fd)) {
    const std::string link = http::encode_path(e.name) + (e.dir ? "/" : "");
    char when[32];
    std::tm tm{};
    if (options.local_time()) {
      localtime_r(&e.mtime, &tm);
    } else {
      gmtime_r(&e.mtime, &tm);
    }
    std::strftime(when, sizeof when, "%d-%b-%Y %H:%M", &tm);
    body += "<a href=\"" + html_escape(link) + "\">" + html_escape(e.name) + (e.dir ? "/" : "") +
            "</a> " + when + " " + (e.dir ? "-" : human_size(e.size, options.exact_size())) + "\n";
  }
  body += "</pre><hr></body></html>\n";
  http::Response r;
  r.add("Content-Type", "text/html; charset=utf-8");
  r.add("Cache-Control", "no-cache");
  r.body = std::move(body);
  return r;
}

}  // namespace flux::runtime::statics
