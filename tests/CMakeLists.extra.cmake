# The MongoDB wire-protocol test double (NOT MongoDB) and the MongoDB integration tests.
add_library(mongo_test_double_core STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/mongo_test_server/store.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mongo_test_server/server.cpp)
target_link_libraries(mongo_test_double_core PUBLIC mongo::mongoc_shared Threads::Threads)
target_include_directories(mongo_test_double_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/mongo_test_server)

add_executable(mongo_test_double ${CMAKE_CURRENT_SOURCE_DIR}/mongo_test_server/main.cpp)
target_link_libraries(mongo_test_double PRIVATE mongo_test_double_core)

# Round trips through libmongoc against the test double started in-process, or against
# MYSQLPITR_TEST_MONGODB_URI when it is set.
add_executable(integration_mongo
  $<TARGET_OBJECTS:mysqlpitr_doctest_main>
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/mongo/test_mongo_roundtrip.cpp)
target_link_libraries(integration_mongo PRIVATE mysqlpitr_mongo mongo_test_double_core doctest::doctest)
target_include_directories(integration_mongo PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME integration.mongo_roundtrip COMMAND integration_mongo)
set_tests_properties(integration.mongo_roundtrip PROPERTIES LABELS integration TIMEOUT 600 SKIP_RETURN_CODE 77)
target_compile_definitions(integration_mongo PRIVATE MYSQLPITR_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
