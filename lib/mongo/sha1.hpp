#pragma once
// SHA-1, only because mongodump names over-long collection files after the SHA-1 of the name
// (not for any security purpose).
#include <array>
#include <cstdint>
#include <string_view>

namespace mysqlpitr::mongo {

std::array<std::uint8_t, 20> sha1(std::string_view data);

}  // namespace mysqlpitr::mongo
