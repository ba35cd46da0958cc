#include "http/transport_error.hpp"

namespace scavenger::http {

std::string_view to_string(transport_error kind) noexcept {
  switch (kind) {
    case transport_error::resolve_failed: return "resolve_failed";
    case transport_error::connect_failed: return "connect_failed";
    case transport_error::tls_handshake_failed: return "tls_handshake_failed";
    case transport_error::certificate_rejected: return "certificate_rejected";
    case transport_error::timed_out: return "timed_out";
    case transport_error::connection_closed: return "connection_closed";
    case transport_error::protocol_error: return "protocol_error";
    case transport_error::cancelled: return "cancelled";
  }
  return "unknown";
}

}  // namespace scavenger::http
