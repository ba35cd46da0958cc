#pragma once
// A plain forwarding HTTP proxy in front of an emulator whose only job is to count the TCP
// connections its client opens (http_fixture::connections_accepted): the test's own measure of
// whether the Lambda runtime reuses its connection pool across invocations, independent of what
// the runtime reports about itself.
//
// Thread safety: every public member function may be called from any thread. Requests are
// forwarded from the http_fixture's worker threads, each over its own upstream client.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "http/client.hpp"
#include "support/http_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::test {

class counting_forwarder {
 public:
  explicit counting_forwarder(const std::string& upstream_url)
      : upstream_(parsed(upstream_url)),
        server_(std::make_unique<http_fixture>([this](const fixture_request& request) { return forward(request); })) {}
  ~counting_forwarder() { server_.reset(); }  // joins the handlers before their sessions go
  counting_forwarder(const counting_forwarder&) = delete;
  counting_forwarder& operator=(const counting_forwarder&) = delete;

  std::string url() const { return server_->url(); }
  std::size_t connections_accepted() const noexcept { return server_->connections_accepted(); }

 private:
  struct session {
    boost::asio::io_context io;
    std::unique_ptr<http::client> client;
  };

  static http::url parsed(const std::string& text) {
    auto url = http::parse_url(text);
    if (!url) throw std::runtime_error("counting_forwarder: " + url.error());
    return *url;
  }

  static bool dropped(std::string_view name) {
    // The fixture and the client set these themselves.
    for (std::string_view own : {"content-length", "connection", "host", "transfer-encoding", "keep-alive"}) {
      if (name.size() == own.size() && std::equal(name.begin(), name.end(), own.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        return true;
      }
    }
    return false;
  }

  session& this_thread_session() {
    std::lock_guard lock(mutex_);
    auto& mine = sessions_[std::this_thread::get_id()];
    if (!mine) {
      mine = std::make_unique<session>();
      mine->client = std::make_unique<http::client>(mine->io.get_executor(), upstream_);
    }
    return *mine;
  }

  fixture_response forward(const fixture_request& request) {
    http::request forwarded;
    forwarded.method = request.method;
    forwarded.target = request.target;
    for (const auto& header : request.headers) {
      if (!dropped(header.name)) forwarded.headers.push_back(header);
    }
    forwarded.body = request.body;
    auto& mine = this_thread_session();
    auto sent = run(mine.io, mine.client->send(std::move(forwarded), std::chrono::seconds(30)));
    if (!sent) return {502, {}, "counting_forwarder: upstream failed: " + sent.error().detail, true};
    fixture_response reply;
    reply.status = sent->status;
    for (auto& header : sent->headers) {
      if (!dropped(header.name) && header.name != "x-amz-crc32") reply.headers.push_back(std::move(header));
    }
    reply.body = std::move(sent->body);
    return reply;
  }

  http::url upstream_;
  std::mutex mutex_;
  std::map<std::thread::id, std::unique_ptr<session>> sessions_;
  std::unique_ptr<http_fixture> server_;  // last: stopped first
};

}  // namespace scavenger::test
