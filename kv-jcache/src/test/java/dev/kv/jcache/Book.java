package dev.kv.jcache;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An application entity kept in Hibernate's second-level cache, which is a kv cache. */
@Entity
@Table(name = "jcache_book")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {

    @Id
    private Long id;

    private String title;

    protected Book() {}

    Book(Long id, String title) {
        this.id = id;
        this.title = title;
    }

    String title() {
        return title;
    }

    void title(String title) {
        this.title = title;
    }
}
