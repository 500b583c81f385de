#include "seed_worker.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "violation_json.h"

namespace weir::scenarios::detail {
namespace {

bool write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// False at end of file or on an error before `size` bytes arrived.
bool read_all(int fd, void* data, std::size_t size) {
  char* bytes = static_cast<char*>(data);
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, bytes + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

// A result larger than this is not a result: the worker is broken.
constexpr std::uint64_t kResultBytesMax = std::uint64_t{1} << 30;

[[noreturn]] void child_main(const RunSeed& run, int seeds_fd, int results_fd) {
  std::uint64_t seed = 0;
  while (read_all(seeds_fd, &seed, sizeof seed)) {
    const std::string json = to_json(run(seed));
    const std::uint64_t size = json.size();
    if (!write_all(results_fd, &size, sizeof size) || !write_all(results_fd, json.data(), json.size())) break;
  }
  ::_exit(0);
}

}  // namespace

SeedWorker::SeedWorker(const RunSeed& run, const std::vector<int>& parent_fds) {
  int seeds[2];
  int results[2];
  if (::pipe(seeds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  if (::pipe(results) != 0) {
    ::close(seeds[0]);
    ::close(seeds[1]);
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::fflush(stdout);  // or the child would flush the parent's buffered output again
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid_ == 0) {
    for (const int fd : parent_fds) ::close(fd);
    ::close(seeds[1]);
    ::close(results[0]);
    child_main(run, seeds[0], results[1]);
  }
  ::close(seeds[0]);
  ::close(results[1]);
  seeds_fd_ = seeds[1];
  results_fd_ = results[0];
}

SeedWorker::~SeedWorker() {
  close_seeds();
  if (results_fd_ >= 0) ::close(results_fd_);
  reap();
}

std::vector<int> SeedWorker::fds() const {
  std::vector<int> open;
  if (seeds_fd_ >= 0) open.push_back(seeds_fd_);
  if (results_fd_ >= 0) open.push_back(results_fd_);
  return open;
}

void SeedWorker::send(std::uint64_t seed) {
  ++seeds_sent_;
  // A dead child shows as a failed write here (the sweep ignores SIGPIPE)
  // and as end of file in receive(), which reports it.
  if (seeds_fd_ >= 0) write_all(seeds_fd_, &seed, sizeof seed);
}

std::string SeedWorker::receive() {
  std::uint64_t size = 0;
  std::string json;
  if (read_all(results_fd_, &size, sizeof size) && size <= kResultBytesMax) {
    json.resize(size);
    if (read_all(results_fd_, json.data(), size)) return json;
  }
  close_seeds();
  reap();
  return {};
}

std::string SeedWorker::death() {
  reap();
  if (WIFSIGNALED(status_)) {
    return fmt::format("worker process killed by signal {} ({})", WTERMSIG(status_), strsignal(WTERMSIG(status_)));
  }
  return "worker process exited without a result";
}

void SeedWorker::close_seeds() {
  if (seeds_fd_ < 0) return;
  ::close(seeds_fd_);
  seeds_fd_ = -1;
}

void SeedWorker::reap() {
  if (reaped_ || pid_ <= 0) return;
  while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

}  // namespace weir::scenarios::detail
