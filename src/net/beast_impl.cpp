// The compiled parts of Asio and Beast, built once here. BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for hotline_net and everything that links it, so
// the files that include Asio or Beast only instantiate the templates they use.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
