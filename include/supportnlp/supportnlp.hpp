#pragma once
/// \file
/// Umbrella header: everything in the public C++ API. (The C API is
/// supportnlp/supportnlp.h.)

#include "supportnlp/result.hpp"
#include "supportnlp/version.hpp"

#include "supportnlp/io/model_file.hpp"

#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/subwords.hpp"
#include "supportnlp/text/tokenizer.hpp"
#include "supportnlp/text/utf8.hpp"

#include "supportnlp/features/ngrams.hpp"

#include "supportnlp/models/classifier.hpp"
#include "supportnlp/models/classifier_data.hpp"
#include "supportnlp/models/conversation.hpp"
#include "supportnlp/models/intent.hpp"
#include "supportnlp/models/sentiment.hpp"
#include "supportnlp/models/sentiment_model.hpp"

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/embed/static_encoder.hpp"

#include "supportnlp/search/dense_index.hpp"
#include "supportnlp/search/gap_report.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/search/lexical_index.hpp"

#include "supportnlp/pipeline/analyzer.hpp"
#include "supportnlp/pipeline/pii.hpp"
#include "supportnlp/pipeline/urgency.hpp"
