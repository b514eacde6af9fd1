// Compiled into the portable binary only (PAYSANDBOX_PORTABLE, set by
// scripts/portable), which links libstdc++ and libgcc statically so that it
// needs nothing from the system but glibc, at most GLIBC_2.34. Built on
// Debian 12 (glibc 2.36), those two static libraries call two functions that
// glibc only gained after 2.34:
//   - libgcc's unwinder finds a frame's unwind tables with _dl_find_object
//     (GLIBC_2.35) when it was built against a glibc that has it;
//   - libstdc++'s std::random_device reads arc4random (GLIBC_2.36).
// Defined here, in the executable, the static link resolves both to these
// definitions instead of versioned references into glibc. They do the same
// with older interfaces: dl_iterate_phdr (GLIBC_2.2.5) and getrandom
// (GLIBC_2.25). tests/portable/glibc-ceiling.sh fails if anything else needs
// more than 2.34.
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

#include <cerrno>
#include <cstddef>

namespace {

struct Search {
  uintptr_t address;
  dl_find_object* result;
  bool found;
};

int visit(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  uintptr_t lowest = UINTPTR_MAX;
  uintptr_t highest = 0;
  bool contains = false;
  const void* eh_frame = nullptr;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + segment.p_vaddr;
    if (segment.p_type == PT_LOAD) {
      const uintptr_t end = start + segment.p_memsz;
      if (start < lowest) lowest = start;
      if (end > highest) highest = end;
      if (search->address >= start && search->address < end) contains = true;
    } else if (segment.p_type == PT_GNU_EH_FRAME) {
      // The loader hands addresses over as integers; they become the
      // pointers the caller asked for.
      eh_frame = reinterpret_cast<const void*>(start);  // NOLINT(performance-no-int-to-ptr)
    }
  }
  if (!contains) return 0;
  search->result->dlfo_flags = 0;
  search->result->dlfo_map_start =
      reinterpret_cast<void*>(lowest);  // NOLINT(performance-no-int-to-ptr)
  search->result->dlfo_map_end =
      reinterpret_cast<void*>(highest);  // NOLINT(performance-no-int-to-ptr)
  search->result->dlfo_link_map = nullptr;
  search->result->dlfo_eh_frame = const_cast<void*>(eh_frame);
  search->found = true;
  return 1;  // stop iterating
}

}  // namespace

extern "C" int _dl_find_object(void* address, dl_find_object* result) noexcept {
  Search search{reinterpret_cast<uintptr_t>(address), result, false};
  dl_iterate_phdr(visit, &search);
  return search.found ? 0 : -1;
}

extern "C" uint32_t arc4random() noexcept {
  uint32_t value = 0;
  for (;;) {
    const ssize_t got = getrandom(&value, sizeof value, 0);
    if (got == static_cast<ssize_t>(sizeof value)) return value;
    if (got < 0 && errno != EINTR) abort();  // no entropy source: nothing sane to return
  }
}
