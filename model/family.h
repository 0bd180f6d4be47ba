#pragma once

namespace haprep::model {

enum class Family { ipv4, ipv6 };

}  // namespace haprep::model
