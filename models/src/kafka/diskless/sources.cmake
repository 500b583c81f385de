target_sources(weir_models PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/agent.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/agent_fetch.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/agent_produce.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/agent_wal.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/batch_cache.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/codec.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/diskless_cluster.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/metadata_service.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/metadata_state.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/diskless/options.cpp
)
