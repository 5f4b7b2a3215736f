#pragma once
// The valid-path-segment rule of php-behaviour.md §3.3, shared by script-name parsing (§3.1),
// SCRIPT_FILENAME mapping (§4) and X-Accel-Redirect targets (§11).

#include <string_view>

namespace flux::runtime::php {

enum class HiddenSegments { kReject, kAllow };

// A Windows device name (CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM1-9, LPT1-9, COM/LPT followed
// by a superscript 1-3), judged on the part before the first '.', ASCII-uppercased.
bool is_windows_device_name(std::string_view segment);

// Non-empty; not "." or ".."; not hidden (leading '.') unless allowed; no trailing '.' or
// space; none of '/', '\\', ':' or a control character; not a Windows device name.
bool is_valid_segment(std::string_view segment, HiddenSegments hidden);

}  // namespace flux::runtime::php
