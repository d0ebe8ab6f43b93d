#include "config/repository_check.hpp"

#include <unistd.h>

#include <cerrno>
#include <regex>

#include "config/value_parse.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::config {
namespace {

constexpr std::int64_t mib = 1024 * 1024;
// S3's limits on a multipart upload's parts.
constexpr std::int64_t smallest_part = 5 * mib;
constexpr std::int64_t largest_part = 5 * 1024 * mib;

bool has_control(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

void check_endpoint(const S3Settings& s3) {
  const std::string& url = s3.endpoint.value;
  // Checked first and never echoed: a URL with user:secret@ would put the secret in the message.
  if (url.find('@') != std::string::npos)
    invalid("s3.endpoint", s3.endpoint,
            "must not hold credentials (user:secret@): use s3.access_key and s3.secret_key");
  static const std::regex form(R"(https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?/?)");
  std::smatch match;
  if (!std::regex_match(url, match, form))
    invalid("s3.endpoint", s3.endpoint, "must be http://HOST[:PORT] or https://HOST[:PORT], not '" + url + "'");
  if (match[3].matched && (std::stoi(match[3].str()) < 1 || std::stoi(match[3].str()) > 65535))
    invalid("s3.endpoint", s3.endpoint, "port must be 1-65535, not " + match[3].str());
  static const std::regex ip_address(R"(\[.*\]|[0-9.]+)");
  if (s3.addressing.value == "virtual" && std::regex_match(match[1].str(), ip_address))
    invalid("s3.addressing", s3.addressing,
            "virtual puts the bucket in the host name, which " + match[1].str() +
                " (an IP address) cannot take: use path");
}

void check_bucket(const Setting<std::string>& bucket) {
  const std::string& name = bucket.value;
  if (name.find('/') != std::string::npos)
    invalid("s3.bucket", bucket, "'" + name + "' is not a bucket name (a folder inside it goes in s3.prefix)");
  if (name.size() > 255 || has_control(name) || name.find(' ') != std::string::npos)
    invalid("s3.bucket", bucket, "'" + name + "' is not a bucket name");
}

void check_prefix(const Setting<std::string>& prefix) {
  const std::string& text = prefix.value;
  if (has_control(text)) invalid("s3.prefix", prefix, "must not hold control characters");
  if (text.front() == '/') invalid("s3.prefix", prefix, "must not start with '/' (keys are relative to the bucket)");
  std::string trimmed = text.back() == '/' ? text.substr(0, text.size() - 1) : text;
  for (const auto& segment : core::split(trimmed, '/', true))
    if (segment.empty() || segment == "." || segment == "..")
      invalid("s3.prefix", prefix, "'" + text + "' has an empty, '.' or '..' folder");
}

// What a repository in the bucket cannot do without, as the operator would set it.
std::vector<std::string> missing_for_bucket(const S3Settings& s3) {
  std::vector<std::string> missing;
  if (s3.endpoint.value.empty()) missing.push_back("s3.endpoint");
  if (s3.bucket.value.empty()) missing.push_back("s3.bucket");
  if (s3.access_key.value.empty()) missing.push_back("s3.access_key (or AWS_ACCESS_KEY_ID)");
  if (s3.secret_key.value.empty())
    missing.push_back("s3.secret_key (or s3.secret_key_file, or AWS_SECRET_ACCESS_KEY)");
  return missing;
}

}  // namespace

void validate_repository(const Settings& settings) {
  const auto& mode = settings.repository.mode;
  if (mode.value != "local" && mode.value != "s3" && mode.value != "both")
    invalid("repository.mode", mode, "must be local, s3 or both, not '" + mode.value + "'");
  const S3Settings& s3 = settings.s3;
  if (s3.addressing.value != "path" && s3.addressing.value != "virtual")
    invalid("s3.addressing", s3.addressing, "must be path or virtual, not '" + s3.addressing.value + "'");
  std::int64_t part = s3.part_size.value.bytes;
  if (part < smallest_part || part > largest_part)
    invalid("s3.part_size", s3.part_size,
            "must be between 5MiB and 5GiB (S3's part sizes), not " + format_byte_size(s3.part_size.value));
  if (s3.upload_jobs.value < 1 || s3.upload_jobs.value > 64)
    invalid("s3.upload_jobs", s3.upload_jobs, "must be between 1 and 64");
  if (s3.region.value.empty() || has_control(s3.region.value) || s3.region.value.find(' ') != std::string::npos)
    invalid("s3.region", s3.region, "must be a region name (us-east-1 for servers that ignore it)");
  if (!s3.endpoint.value.empty()) check_endpoint(s3);
  if (!s3.bucket.value.empty()) check_bucket(s3.bucket);
  if (!s3.prefix.value.empty()) check_prefix(s3.prefix);
  if (mode.value == "local") return;
  auto missing = missing_for_bucket(s3);
  if (!missing.empty())
    invalid("repository.mode", mode, mode.value + " keeps backups in a bucket and needs " + core::join(missing, ", "));
  if (!s3.ca_file.value.empty() && ::access(s3.ca_file.value.c_str(), R_OK) != 0)
    invalid("s3.ca_file", s3.ca_file, "cannot read " + s3.ca_file.value + ": " + errno_text(errno));
}

}  // namespace mysqlpitr::config
