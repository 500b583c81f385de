target_sources(weir_models PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/block.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/crc32c.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/head.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/ingest_record.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/partition_ring.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/partition_tokens.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/services.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/shard.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/mimir/wal.cpp
)
