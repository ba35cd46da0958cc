#include "http/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace scavenger::http {

namespace ssl = boost::asio::ssl;

ssl::context make_tls_client_context(const std::optional<std::string>& ca_bundle_file) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  // The system store is always used; --ca-bundle adds to it rather than replacing it.
  boost::system::error_code ec;
  context.set_default_verify_paths(ec);
  if (ca_bundle_file) {
    context.load_verify_file(*ca_bundle_file, ec);
    if (ec) throw std::runtime_error("cannot load CA bundle '" + *ca_bundle_file + "': " + ec.message());
  }
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

void verify_peer_as(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  const bool ip_literal = !ec;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (ip_literal) {
    // Matched against the certificate's IP subjectAltNames; a DNS name never matches an IP.
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) throw std::runtime_error("cannot set the TLS peer address " + host);
    return;
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) throw std::runtime_error("cannot set TLS SNI for " + host);
  // No partial wildcards ("a*.example"), as browsers and the AWS SDKs.
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1) throw std::runtime_error("cannot set the TLS peer name " + host);
}

std::optional<std::string> certificate_failure_reason(const SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return std::nullopt;
  return std::string(X509_verify_cert_error_string(result));
}

}  // namespace scavenger::http
