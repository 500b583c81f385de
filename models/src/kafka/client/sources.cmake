# The Kafka clients (producer, consumer, metadata cache) of models/kafka/client.
target_sources(weir_models PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/connections.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/consumer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/consumer_options.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/metadata_cache.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/producer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/producer_core.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/producer_options.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/kafka/client/retry_backoff.cpp
)
