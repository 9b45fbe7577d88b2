#pragma once
/// \file
/// Umbrella header: everything in the public C++ API. (The C API is
/// supportnlp/supportnlp.h.)

#include "supportnlp/cpu/cpu.hpp"
#include "supportnlp/data_dir.hpp"
#include "supportnlp/result.hpp"
#include "supportnlp/version.hpp"

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/io/records.hpp"

#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/subwords.hpp"
#include "supportnlp/text/tokenizer.hpp"
#include "supportnlp/text/utf8.hpp"

#include "supportnlp/features/ngrams.hpp"

#include "supportnlp/models/linear/classifier.hpp"
#include "supportnlp/models/linear/classifier_data.hpp"
#include "supportnlp/models/sentiment/conversation.hpp"
#include "supportnlp/models/intent/intent.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/embed/transformer_encoder.hpp"

#include "supportnlp/search/articles.hpp"
#include "supportnlp/search/dense_index.hpp"
#include "supportnlp/search/gap_report.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/search/lexical_index.hpp"
#include "supportnlp/search/ranking_metrics.hpp"

#include "supportnlp/pipeline/analyzer.hpp"
#include "supportnlp/pipeline/json.hpp"
#include "supportnlp/rules/pii.hpp"
#include "supportnlp/rules/urgency.hpp"
