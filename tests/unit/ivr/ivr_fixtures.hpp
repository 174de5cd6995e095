#pragma once
// Shared inputs for the voice-menu tests: the default menu with a night-time context.
#include <string>

#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/session.hpp"
#include "hotline/ivr/step.hpp"

namespace hotline::ivr::testing {

inline constexpr const char* kInspectionPhone = "010-12345678";
inline constexpr const char* kCdcPhone = "010-87654321";

/// Closed (night), no incident, both duty numbers, two voice topics.
inline IvrContext NightContext() {
  IvrContext c;
  c.open_now = false;
  c.duty = {{"市卫生监督所", "inspection", kInspectionPhone},
            {"市疾病预防控制中心", "cdc", kCdcPhone}};
  c.entries = {
      {"kb1", "流感疫苗接种", "疫苗", "流感疫苗每年接种一次，可到社区卫生服务中心预约。"},
      {"kb2", "狂犬疫苗", "疫苗", "被动物咬伤后应尽快冲洗伤口并接种狂犬疫苗。"},
      {"kb3", "发热门诊", "就医", "发热患者请到设有发热门诊的医院就诊。"},
  };
  return c;
}

/// A session standing at `node` (and `topic`), past its greeting.
inline Session At(const std::string& node, const std::string& topic = "") {
  Session s = NewSession(DefaultMenu());
  s.node = node;
  s.topic = topic;
  s.greeted = true;
  return s;
}

}  // namespace hotline::ivr::testing
