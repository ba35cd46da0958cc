#pragma once
// Failures below HTTP: the request got no HTTP response at all. Kept apart from HTTP
// statuses and from DynamoDB's own errors (src/dynamodb/error.hpp), as libcpr does.

#include <string>
#include <string_view>

namespace scavenger::http {

enum class transport_error {
  resolve_failed,        // DNS gave no address
  connect_failed,        // TCP connect refused or unreachable
  tls_handshake_failed,  // TLS failed for a reason other than the certificate
  certificate_rejected,  // the peer's certificate did not verify (chain or host name)
  timed_out,             // the request's deadline passed (connect, handshake, write or read)
  connection_closed,     // the peer closed or reset the connection before a full response
  protocol_error,        // the bytes received were not a valid HTTP/1.1 response
  cancelled,             // the caller cancelled the request
};

std::string_view to_string(transport_error kind) noexcept;

struct transport_failure {
  transport_error kind = transport_error::connection_closed;
  std::string detail;  // one line for people: what failed, against which host, and why

  // True when sending the same request again may succeed.
  bool retryable() const noexcept { return kind != transport_error::certificate_rejected && kind != transport_error::cancelled; }
};

}  // namespace scavenger::http
