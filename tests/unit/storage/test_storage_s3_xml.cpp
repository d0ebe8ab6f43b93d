#include <doctest/doctest.h>

#include "storage/s3_xml.hpp"
#include "support/expect_error.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::storage::s3;

TEST_CASE("a ListObjectsV2 page: keys with entities, sizes, dates and the continuation token") {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
<Contents><Key>p/a &amp; b &lt;c&gt; &#x27;q&#39; &quot;</Key><LastModified>2026-12-03T15:13:37.000Z</LastModified>
<ETag>&quot;b19&quot;</ETag><Size>6</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>p/&#8364;</Key><LastModified>1970-01-02T00:00:00Z</LastModified><Size>12345678901</Size></Contents>
</ListBucketResult>)";
  auto page = parse_list_objects(xml, false);
  REQUIRE(page.objects.size() == 2);
  CHECK(page.objects[0].key == "p/a & b <c> 'q' \"");
  CHECK(page.objects[0].size == 6);
  CHECK(page.objects[0].mtime == 1796310817);
  CHECK(page.objects[1].key == "p/\xe2\x82\xac");
  CHECK(page.objects[1].size == 12345678901ull);
  CHECK(page.objects[1].mtime == 86400);
  CHECK(page.continuation == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST_CASE("a listing with encoding-type=url has its keys decoded; the last page has no token") {
  const char* xml = "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
                    "<Contents><Key>p/a%20b%2Bc%25</Key><Size>1</Size></Contents></ListBucketResult>";
  auto page = parse_list_objects(xml, true);
  REQUIRE(page.objects.size() == 1);
  CHECK(page.objects[0].key == "p/a b+c%");
  CHECK_FALSE(page.continuation);
  CHECK(parse_list_objects("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>", false).objects.empty());
}

TEST_CASE("a truncated listing without a token, or a cut answer, is an error rather than a short list") {
  CHECK(testing::code_of([] { parse_list_objects("<IsTruncated>true</IsTruncated>", false); }) == ExitCode::failed);
  CHECK(testing::code_of([] { parse_list_objects("<Contents><Key>a</Key><Size>1", false); }) == ExitCode::failed);
}

TEST_CASE("a ListMultipartUploads page: keys, upload ids, start times and markers") {
  const char* xml = R"(<ListMultipartUploadsResult><Bucket>b</Bucket><KeyMarker></KeyMarker>
<NextKeyMarker>p/z</NextKeyMarker><NextUploadIdMarker>id-2</NextUploadIdMarker><IsTruncated>true</IsTruncated>
<Upload><Key>p/x y</Key><UploadId>id-1</UploadId><Initiated>2026-12-03T10:00:00.000Z</Initiated></Upload>
<Upload><Key>p/z</Key><UploadId>id-2</UploadId><Initiated>2026-12-03T11:00:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)";
  auto page = parse_list_uploads(xml, false);
  REQUIRE(page.uploads.size() == 2);
  CHECK(page.uploads[0].key == "p/x y");
  CHECK(page.uploads[0].upload_id == "id-1");
  CHECK(page.uploads[1].initiated - page.uploads[0].initiated == 3600);
  CHECK(page.truncated);
  CHECK(page.next_key_marker == "p/z");
  CHECK(page.next_upload_id_marker == "id-2");
}

TEST_CASE("an S3 error document gives its code and message; other answers are not errors") {
  auto error = parse_error("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>");
  REQUIRE(error);
  CHECK(error->code == "SlowDown");
  CHECK(error->message == "Reduce your request rate");
  CHECK_FALSE(parse_error("<CompleteMultipartUploadResult><ETag>x</ETag></CompleteMultipartUploadResult>"));
  CHECK_FALSE(parse_error(""));
  CHECK(xml_escape("\"a&b\"<>'") == "&quot;a&amp;b&quot;&lt;&gt;&apos;");
  CHECK(xml_decode("&unknown; &amp &#xZZ; &#1114112;") == "&unknown; &amp &#xZZ; &#1114112;");
}
