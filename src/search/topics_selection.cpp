// Which tickets topic discovery looks at by default (docs/topics.md, "Which
// tickets"): the threshold's value and how it was chosen are documented on
// TopicSelection.
#include "supportnlp/search/topics.hpp"

namespace supportnlp::search {

bool select_for_topics(bool out_of_scope, double queue_confidence,
                       const TopicSelection& selection) noexcept {
  // Written so that a NaN confidence (no answer) selects the ticket.
  return out_of_scope || !(queue_confidence >= selection.max_confidence);
}

} // namespace supportnlp::search
