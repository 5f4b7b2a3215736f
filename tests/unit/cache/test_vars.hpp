#pragma once
// Request variables for the policy tests: a request line and headers, as the runtime's
// StandardRequestVars sees them.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/cache/request_rules.hpp"
#include "runtime/expr/standard_vars.hpp"

namespace flux::runtime::cache::test {

class TestRequest {
 public:
  TestRequest(std::string method, std::string target,
              std::vector<std::pair<std::string, std::string>> headers = {})
      : method_(std::move(method)), target_(std::move(target)), headers_(std::move(headers)) {
    for (const auto& [n, v] : headers_) fields_.push_back({n, v});
    const auto q = target_.find('?');
    path_ = target_.substr(0, q);
    if (q != std::string::npos) query_ = target_.substr(q + 1);
    info_.scheme = "http";
    info_.host = "example.test";
    info_.method = method_;
    info_.target = target_;
    info_.remote_addr = "127.0.0.1";
    info_.server_port = 80;
    info_.headers = fields_;
    vars_ = std::make_unique<expr::StandardRequestVars>(info_);
  }

  RequestFacts facts() const {
    return {method_, "example.test", path_, query_, target_.find('?') != std::string::npos};
  }
  const expr::RequestVars& vars() const { return *vars_; }

 private:
  std::string method_, target_, path_, query_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<expr::HeaderField> fields_;
  expr::RequestInfo info_;
  std::unique_ptr<expr::StandardRequestVars> vars_;
};

}  // namespace flux::runtime::cache::test
