# -Wall -Wextra -Werror on project code; generated code (ANTLR, flatc) is compiled without them.
function(flux_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

# Boost 1.81 + GCC 12 in C++20: <utility> must precede Asio's awaitable.hpp (toolchain.md §3).
function(flux_uses_asio target)
  target_compile_definitions(${target} PRIVATE BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_BOOST_ARRAY
                                               BOOST_BEAST_USE_STD_STRING_VIEW)
  target_link_libraries(${target} PRIVATE Boost::headers Threads::Threads)
endfunction()
