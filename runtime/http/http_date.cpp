#include "runtime/http/http_date.hpp"

#include <cstring>

namespace flux::runtime::http {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_index(std::string_view m) {
  for (int i = 0; i < 12; ++i) {
    if (m == kMonths[i]) return i;
  }
  return -1;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool parse_clock(std::string_view s, std::tm& tm) {
  return s.size() == 8 && s[2] == ':' && s[5] == ':' && parse_int(s.substr(0, 2), tm.tm_hour) &&
         parse_int(s.substr(3, 2), tm.tm_min) && parse_int(s.substr(6, 2), tm.tm_sec) &&
         tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec <= 60;
}

std::optional<std::time_t> finish(std::tm& tm) {
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_mon < 0) return std::nullopt;
  const std::time_t t = timegm(&tm);
  if (t < 0) return std::nullopt;
  return t;
}

}  // namespace

std::string format_http_date(std::time_t t) {
  // Every static response carries Last-Modified and Date: format by hand (no snprintf) and
  // remember the last value per thread, since consecutive calls mostly repeat one time.
  thread_local std::time_t last_time = -1;
  thread_local std::string last_text;
  if (t == last_time) return last_text;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[29];  // "Sun, 06 Nov 1994 08:49:37 GMT"
  auto two = [](char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  std::memcpy(buf, kDays[tm.tm_wday], 3);
  buf[3] = ',';
  buf[4] = ' ';
  two(buf + 5, tm.tm_mday);
  buf[7] = ' ';
  std::memcpy(buf + 8, kMonths[tm.tm_mon], 3);
  buf[11] = ' ';
  const int year = tm.tm_year + 1900;
  two(buf + 12, (year / 100) % 100);
  two(buf + 14, year % 100);
  buf[16] = ' ';
  two(buf + 17, tm.tm_hour);
  buf[19] = ':';
  two(buf + 20, tm.tm_min);
  buf[22] = ':';
  two(buf + 23, tm.tm_sec);
  std::memcpy(buf + 25, " GMT", 4);
  last_time = t;
  last_text.assign(buf, sizeof buf);
  return last_text;
}

std::optional<std::time_t> parse_http_date(std::string_view s) {
  std::tm tm{};
  int year = 0;
  if (s.size() == 29 && s[3] == ',' && s.substr(25) == " GMT") {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    tm.tm_mon = month_index(s.substr(8, 3));
    if (!parse_int(s.substr(5, 2), tm.tm_mday) || !parse_int(s.substr(12, 4), year) ||
        !parse_clock(s.substr(17, 8), tm)) {
      return std::nullopt;
    }
  } else if (const auto comma = s.find(", "); comma != std::string_view::npos && comma > 3 &&
                                              s.size() == comma + 24 && s.ends_with(" GMT")) {
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    const std::string_view d = s.substr(comma + 2);
    tm.tm_mon = month_index(d.substr(3, 3));
    if (d[2] != '-' || d[6] != '-' || !parse_int(d.substr(0, 2), tm.tm_mday) ||
        !parse_int(d.substr(7, 2), year) || !parse_clock(d.substr(10, 8), tm)) {
      return std::nullopt;
    }
    year += year < 70 ? 2000 : 1900;
  } else if (s.size() == 24) {
    // asctime: "Sun Nov  6 08:49:37 1994"
    tm.tm_mon = month_index(s.substr(4, 3));
    std::string_view day = s.substr(8, 2);
    if (day.front() == ' ') day.remove_prefix(1);
    if (!parse_int(day, tm.tm_mday) || !parse_clock(s.substr(11, 8), tm) ||
        !parse_int(s.substr(20, 4), year)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  return finish(tm);
}

}  // namespace flux::runtime::http
