#pragma once
/// \file
/// Umbrella header: everything in the public API.

#include "supportnlp/result.hpp"
#include "supportnlp/version.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/utf8.hpp"
#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/tokenizer.hpp"
#include "supportnlp/text/subwords.hpp"
#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/embed/static_encoder.hpp"
