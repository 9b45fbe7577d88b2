// The transformer forward pass for the baseline CPU (bert_kernels.hpp).
#include "embed/transformer/bert_kernels.hpp"

#define SUPPORTNLP_BERT_RUN_GROUP run_group_portable
#include "embed/transformer/bert_forward.inc"
