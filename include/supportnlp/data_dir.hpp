#pragma once
/// \file
/// data_dir(): where the bundled default models and data are, so a program
/// can open them from any working directory, installed or moved.
///
/// \code
///   #include <supportnlp/data_dir.hpp>
///   #include <supportnlp/pipeline/analyzer.hpp>
///
///   auto analyzer = supportnlp::pipeline::Analyzer::open_directory(supportnlp::data_dir());
///   if (!analyzer) { std::cerr << analyzer.error().message << '\n'; return 1; }
/// \endcode

#include <string>

namespace supportnlp {

/// The directory holding the bundled models and data (models/, kb/,
/// lexicon/, train/; the layout of the repository's data/), the first of:
///
///  1. `$SUPPORTNLP_DATA`, when set and not empty (taken as given, not checked);
///  2. `<prefix>/share/supportnlp` of the installation this library runs
///     from, found from the library's own file (or, when it is linked
///     statically, from the program's file in `<prefix>/bin`), if it exists:
///     it follows the installation when the whole prefix is moved;
///  3. for a library or program running from its build tree (not
///     installed), the source tree's data/;
///  4. the data directory configured at build time
///     (`CMAKE_INSTALL_FULL_DATADIR`/supportnlp, e.g.
///     /usr/local/share/supportnlp), if it exists;
///  5. the source tree's data/, if it exists.
///
/// When none exists, the answer is (2) where it could be computed, else (4),
/// so that opening a model there fails with an error naming the expected
/// place. Never fails and never throws except std::bad_alloc; reads the
/// environment and the file system on every call (microseconds), so call it
/// once at start-up. Thread-safe as long as nothing changes the environment
/// at the same time.
std::string data_dir();

} // namespace supportnlp
