# The classic (replicated, broker-disk) Kafka cluster model.
target_sources(weir_models PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/broker.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/broker_disk.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/broker_fetch.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/broker_groups.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/broker_produce.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/classic_cluster.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/classic_cluster_options.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/controller.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/election.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/metadata_image.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/partition_log.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/replica_fetcher.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/classic/topology.cpp
)
