target_sources(weir_models PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/objstore/client.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/objstore/cost_meter.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/objstore/object_store.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/objstore/options.cpp
)
