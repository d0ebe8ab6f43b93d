#pragma once
// Decompression on a thread of its own: the stream returned by read_ahead() fills chunks from
// `source` ahead of the reader, so that inflating a dump and splitting it into statements take
// one core each instead of taking turns on one.
//
// Data comes out in the source's order; an error of the source (corrupt or cut stream) is thrown
// by read() after every byte before it has been delivered, as the source itself would have. At
// most `depth` chunks of `chunk_bytes` are held.
#include <memory>

#include "io/input_stream.hpp"

namespace mysqlpitr::io {

std::unique_ptr<InputStream> read_ahead(std::unique_ptr<InputStream> source, size_t chunk_bytes = 1 << 20,
                                        size_t depth = 4);

}  // namespace mysqlpitr::io
