#pragma once
// Owned storage for DenseIndex rows: 64-byte aligned (whole cache lines, so
// a row scan never splits a vector load across lines more than it must),
// and buffers of 2 MiB or more 2 MiB-aligned and advised for transparent
// huge pages before they are first touched. Linux often runs THP in
// "madvise" mode, where a large std::vector gets 4 KiB pages; a scan of a
// 1 GB matrix then walks 256k pages and the TLB misses show in the
// benchmark's share of read bandwidth.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace supportnlp::search::detail {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

/// Asks the kernel for transparent huge pages on [p, p + bytes) (the part
/// that covers whole huge pages); a hint, failures are ignored. Also applied
/// to memory-mapped index files, where it takes effect only on kernels that
/// collapse read-only file pages (CONFIG_READ_ONLY_THP_FOR_FS).
inline void advise_huge_pages(const void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/// A resizable array of trivially copyable T with the alignment above.
/// resize() keeps the contents; new elements are uninitialised (DenseIndex
/// writes every element it adds).
template <class T> class AlignedBuffer {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer& other) { assign(other.data_, other.data_ + other.size_); }
  AlignedBuffer(AlignedBuffer&& other) noexcept { swap(other); }
  AlignedBuffer& operator=(const AlignedBuffer& other) {
    if (this != &other) assign(other.data_, other.data_ + other.size_);
    return *this;
  }
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    AlignedBuffer(std::move(other)).swap(*this);
    return *this;
  }
  ~AlignedBuffer() { std::free(data_); }

  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }

  void resize(std::size_t n) {
    if (n > capacity_) reallocate(std::max(n, capacity_ + capacity_ / 2));
    size_ = n;
  }
  void assign(const T* begin, const T* end) {
    const auto n = static_cast<std::size_t>(end - begin);
    if (n > capacity_) {
      AlignedBuffer fresh;
      fresh.reallocate(n);
      swap(fresh);
    }
    if (n) std::memcpy(data_, begin, n * sizeof(T));
    size_ = n;
  }
  void swap(AlignedBuffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

private:
  void reallocate(std::size_t capacity) {
    const std::size_t want = capacity * sizeof(T);
    const std::size_t align = want >= kHugePage ? kHugePage : 64;
    const std::size_t bytes = (want + align - 1) / align * align;
    void* p = std::aligned_alloc(align, bytes);
    if (!p) throw std::bad_alloc();
    if (align == kHugePage) advise_huge_pages(p, bytes); // before the first touch
    if (size_) std::memcpy(p, data_, size_ * sizeof(T));
    std::free(data_);
    data_ = static_cast<T*>(p);
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

} // namespace supportnlp::search::detail
