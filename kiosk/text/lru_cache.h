// kiosk/text/lru_cache.h — a bounded least-recently-used map.
//
// Contract:
//  - Holds at most `capacity` entries and at most `max_weight` total weight (each insert() says
//    what its entry weighs, e.g. its bytes); inserting beyond either drops least recently used
//    entries, but never the one just inserted.
//  - find() marks the entry as most recently used and returns a pointer valid until the next
//    insert() or clear(); it returns nullptr on a miss.
//  - Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

namespace kiosk::text {

template <typename Key, typename Value, typename Hash = std::hash<Key>>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity, std::size_t max_weight = SIZE_MAX)
      : m_capacity(capacity == 0 ? 1 : capacity), m_max_weight(max_weight) {}

  Value* find(const Key& key) {
    auto it = m_index.find(key);
    if (it == m_index.end()) {
      ++m_misses;
      return nullptr;
    }
    ++m_hits;
    m_order.splice(m_order.begin(), m_order, it->second);
    return &it->second->value;
  }

  Value& insert(const Key& key, Value value, std::size_t weight = 1) {
    auto it = m_index.find(key);
    if (it != m_index.end()) {
      m_weight -= it->second->weight;
      m_order.erase(it->second);
      m_index.erase(it);
    }
    m_order.push_front(Entry{key, std::move(value), weight});
    m_index.emplace(m_order.front().key, m_order.begin());
    m_weight += weight;
    while (m_order.size() > 1 && (m_order.size() > m_capacity || m_weight > m_max_weight)) {
      m_weight -= m_order.back().weight;
      m_index.erase(m_order.back().key);
      m_order.pop_back();
      ++m_evictions;
    }
    return m_order.front().value;
  }

  void clear() {
    m_index.clear();
    m_order.clear();
    m_weight = 0;
  }

  std::size_t size() const { return m_order.size(); }
  std::size_t capacity() const { return m_capacity; }
  std::size_t weight() const { return m_weight; }
  std::size_t hits() const { return m_hits; }
  std::size_t misses() const { return m_misses; }
  std::size_t evictions() const { return m_evictions; }

 private:
  struct Entry {
    Key key;
    Value value;
    std::size_t weight;
  };
  std::size_t m_capacity;
  std::size_t m_max_weight;
  std::size_t m_weight = 0;
  std::list<Entry> m_order;  // front: most recently used
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> m_index;
  std::size_t m_hits = 0;
  std::size_t m_misses = 0;
  std::size_t m_evictions = 0;
};

}  // namespace kiosk::text
