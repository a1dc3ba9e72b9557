#include "fdk/oci/regions.hpp"

#include <algorithm>
#include <cctype>

namespace fdk::oci {
namespace {

struct RegionEntry {
  std::string_view short_code;
  std::string_view region_id;
  std::string_view realm;
};

// Public regions as published by OCI (region key, identifier, realm). Sorted by realm.
constexpr RegionEntry kRegions[] = {
    {"yny", "ap-chuncheon-1", "oc1"},   {"hyd", "ap-hyderabad-1", "oc1"},
    {"mel", "ap-melbourne-1", "oc1"},   {"bom", "ap-mumbai-1", "oc1"},
    {"kix", "ap-osaka-1", "oc1"},       {"icn", "ap-seoul-1", "oc1"},
    {"syd", "ap-sydney-1", "oc1"},      {"nrt", "ap-tokyo-1", "oc1"},
    {"yul", "ca-montreal-1", "oc1"},    {"yyz", "ca-toronto-1", "oc1"},
    {"ams", "eu-amsterdam-1", "oc1"},   {"fra", "eu-frankfurt-1", "oc1"},
    {"zrh", "eu-zurich-1", "oc1"},      {"jed", "me-jeddah-1", "oc1"},
    {"dxb", "me-dubai-1", "oc1"},       {"gru", "sa-saopaulo-1", "oc1"},
    {"cwl", "uk-cardiff-1", "oc1"},     {"lhr", "uk-london-1", "oc1"},
    {"iad", "us-ashburn-1", "oc1"},     {"phx", "us-phoenix-1", "oc1"},
    {"sjc", "us-sanjose-1", "oc1"},     {"vcp", "sa-vinhedo-1", "oc1"},
    {"scl", "sa-santiago-1", "oc1"},    {"mtz", "il-jerusalem-1", "oc1"},
    {"mrs", "eu-marseille-1", "oc1"},   {"sin", "ap-singapore-1", "oc1"},
    {"auh", "me-abudhabi-1", "oc1"},    {"lin", "eu-milan-1", "oc1"},
    {"arn", "eu-stockholm-1", "oc1"},   {"jnb", "af-johannesburg-1", "oc1"},
    {"cdg", "eu-paris-1", "oc1"},       {"qro", "mx-queretaro-1", "oc1"},
    {"mad", "eu-madrid-1", "oc1"},      {"ord", "us-chicago-1", "oc1"},
    {"mty", "mx-monterrey-1", "oc1"},   {"aga", "us-saltlake-2", "oc1"},
    {"bog", "sa-bogota-1", "oc1"},      {"vap", "sa-valparaiso-1", "oc1"},
    {"xsp", "ap-singapore-2", "oc1"},   {"ruh", "me-riyadh-1", "oc1"},
    {"lfi", "us-langley-1", "oc2"},     {"luf", "us-luke-1", "oc2"},
    {"ric", "us-gov-ashburn-1", "oc3"}, {"pia", "us-gov-chicago-1", "oc3"},
    {"tus", "us-gov-phoenix-1", "oc3"}, {"ltn", "uk-gov-london-1", "oc4"},
    {"brs", "uk-gov-cardiff-1", "oc4"}, {"nja", "ap-chiyoda-1", "oc8"},
    {"ukb", "ap-ibaraki-1", "oc8"},     {"mct", "me-dcc-muscat-1", "oc9"},
    {"ibr", "me-ibri-1", "oc9"},        {"wga", "ap-dcc-canberra-1", "oc10"},
    {"bgy", "eu-dcc-milan-1", "oc14"},  {"mxp", "eu-dcc-milan-2", "oc14"},
    {"snn", "eu-dcc-dublin-2", "oc14"}, {"dtm", "eu-dcc-rating-2", "oc14"},
    {"dus", "eu-dcc-rating-1", "oc14"}, {"ork", "eu-dcc-dublin-1", "oc14"},
    {"vll", "eu-madrid-2", "oc19"},     {"str", "eu-frankfurt-2", "oc19"},
    {"beg", "eu-jovanovac-1", "oc20"},  {"doh", "me-dcc-doha-1", "oc21"},
    {"avz", "eu-dcc-zurich-1", "oc24"}, {"avf", "eu-crissier-1", "oc24"},
};

struct RealmEntry {
  std::string_view realm;
  std::string_view domain;
};

constexpr RealmEntry kRealms[] = {
    {"oc1", "oraclecloud.com"},    {"oc2", "oraclegovcloud.com"}, {"oc3", "oraclegovcloud.com"},
    {"oc4", "oraclegovcloud.uk"},  {"oc8", "oraclecloud8.com"},   {"oc9", "oraclecloud9.com"},
    {"oc10", "oraclecloud10.com"}, {"oc14", "oraclecloud14.com"}, {"oc15", "oraclecloud15.com"},
    {"oc19", "oraclecloud.eu"},    {"oc20", "oraclecloud20.com"}, {"oc21", "oraclecloud21.com"},
    {"oc23", "oraclecloud23.com"}, {"oc24", "oraclecloud24.com"},
};

constexpr std::string_view kDefaultRealm = "oc1";

std::string normalised(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

const RegionEntry* find_region(std::string_view region_or_short_code) {
  const std::string key = normalised(region_or_short_code);
  for (const auto& entry : kRegions) {
    if (entry.short_code == key || entry.region_id == key) return &entry;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> region_for_short_code(std::string_view short_code) {
  const std::string key = normalised(short_code);
  for (const auto& entry : kRegions) {
    if (entry.short_code == key) return std::string(entry.region_id);
  }
  return std::nullopt;
}

std::string canonical_region(std::string_view region_or_short_code) {
  if (const auto* entry = find_region(region_or_short_code)) return std::string(entry->region_id);
  return normalised(region_or_short_code);
}

bool is_valid_region(std::string_view region) noexcept {
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (region.empty() || region.size() > 63 || !alnum(region.front()) || !alnum(region.back())) return false;
  return std::all_of(region.begin(), region.end(), [&](char c) { return alnum(c) || c == '-'; });
}

std::string realm_for_region(std::string_view region_or_short_code) {
  if (const auto* entry = find_region(region_or_short_code)) return std::string(entry->realm);
  return std::string(kDefaultRealm);
}

std::optional<std::string> domain_for_realm(std::string_view realm) {
  const std::string key = normalised(realm);
  for (const auto& entry : kRealms) {
    if (entry.realm == key) return std::string(entry.domain);
  }
  return std::nullopt;
}

std::string realm_domain_for_region(std::string_view region_or_short_code) {
  // Every realm a known region names is in kRealms, so this lookup cannot miss.
  return *domain_for_realm(realm_for_region(region_or_short_code));
}

}  // namespace fdk::oci
