#pragma once
// TLS set-up for the HTTP client, apart from the Beast templates: the verifying client
// context and the per-connection peer checks (SNI and host name or IP address).
// Internal to src/http.
//
// Thread safety: the context is shared by one client's connections on one thread.

#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace scavenger::http {

// A TLS client context that verifies peers against the system trust store plus, when given,
// the CAs in `ca_bundle_file`. Throws std::runtime_error naming the file when it cannot be loaded.
boost::asio::ssl::context make_tls_client_context(const std::optional<std::string>& ca_bundle_file);

// Sets SNI (names only: RFC 6066 forbids IP literals in server_name) and makes the handshake
// check the certificate against `host`: a name, or an IPv4/IPv6 address. Throws
// std::runtime_error if OpenSSL refuses the parameters (out of memory, not an expected failure).
void verify_peer_as(SSL* ssl, const std::string& host);

// OpenSSL's reason for refusing the peer certificate ("hostname mismatch", ...), or nullopt
// when the certificate verified (the handshake then failed for another reason).
std::optional<std::string> certificate_failure_reason(const SSL* ssl);

}  // namespace scavenger::http
