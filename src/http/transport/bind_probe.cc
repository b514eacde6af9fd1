// Why a listening address could not be bound, in words a newcomer can act
// on. The listener (server.cc) tries every address getaddrinfo offers, so
// after it gives up this binds the first one again, alone, and reads errno.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "http/transport/server.h"

namespace paysandbox {

std::string bind_failure(const std::string& host, int port) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 ||
      found == nullptr)
    return "cannot listen on " + where + ": '" + host +
           "' is not an address of this machine (try --host 127.0.0.1 or 0.0.0.0)";
  int error = 0;
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) {
    error = errno;
  } else {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  switch (error) {
    case EADDRINUSE:
      return "cannot listen on " + where + ": port " + std::to_string(port) +
             " is already in use (another server is listening there); choose another port, "
             "or --port 0 to pick a free one";
    case EACCES:
      return "cannot listen on " + where + ": not allowed (ports below 1024 need root); " +
             "use a port above 1023, or --port 0 to pick a free one";
    case EADDRNOTAVAIL:
      return "cannot listen on " + where + ": '" + host +
             "' is not an address of this machine (try --host 127.0.0.1 or 0.0.0.0)";
    case 0:
      return "cannot listen on " + where + ": the address was busy; try again, or --port 0";
    default:
      return "cannot listen on " + where + ": " + std::strerror(error);
  }
}

}  // namespace paysandbox
