-- A database with every kind of object a historical dump carries, for restore round trips.
SET SESSION sql_mode = CONCAT(@@sql_mode, ",NO_AUTO_VALUE_ON_ZERO");
CREATE DATABASE shop CHARACTER SET utf8mb4;
USE shop;
CREATE TABLE customers (
  id INT PRIMARY KEY AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  note TEXT,
  created TIMESTAMP NOT NULL DEFAULT '2020-01-01 00:00:00',
  UNIQUE KEY (name)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id INT PRIMARY KEY AUTO_INCREMENT,
  customer_id INT NOT NULL,
  amount DECIMAL(12,2),
  payload BLOB,
  doc JSON,
  placed DATETIME(6),
  FOREIGN KEY (customer_id) REFERENCES customers(id)
) ENGINE=InnoDB;
CREATE TABLE legacy_log (id INT PRIMARY KEY, line VARCHAR(200)) ENGINE=MyISAM;
CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(200)) ENGINE=InnoDB;
CREATE TABLE `semi;colon ``table` (`we;ird` INT, `back\slash` VARCHAR(20)) ENGINE=InnoDB;

INSERT INTO customers (id, name, note, created) VALUES
  (0, 'zero id', 'NO_AUTO_VALUE_ON_ZERO keeps me', '2021-03-04 05:06:07'),
  (1, 'Ann', 'quote '' and "double" and back\\slash', '2022-01-01 10:00:00'),
  (2, 'Bob; Dylan', 'semi;colons; -- not a comment\n# nor this /* nor */', '2022-06-01 12:30:00'),
  (3, 'Zoë ünïcödé', NULL, '2023-12-31 23:59:59'),
  (4, 'DELIMITER ;;', 'line1\r\nline2\ttab', '2024-02-29 00:00:00');
INSERT INTO orders (customer_id, amount, payload, doc, placed)
  SELECT seq % 5, seq * 1.25, UNHEX(SHA2(seq, 256)), JSON_OBJECT('n', seq, 's', CONCAT('v;', seq)),
         '2024-01-01 00:00:00.123456' + INTERVAL seq MINUTE
  FROM seq_1_to_3000;
INSERT INTO orders (customer_id, amount, payload, doc, placed) VALUES (2, NULL, X'00FF275C22', NULL, NULL);
INSERT INTO legacy_log SELECT seq, REPEAT('x', seq % 50) FROM seq_1_to_500;
INSERT INTO `semi;colon ``table` VALUES (1, 'a\\b'), (2, 'c;d');

CREATE VIEW big_orders AS SELECT o.id, c.name, o.amount FROM shop.orders o JOIN `shop`.`customers` c ON c.id = o.customer_id WHERE o.amount > 100;
CREATE VIEW view_on_view AS SELECT name FROM big_orders;

DELIMITER ;;
CREATE PROCEDURE add_customer(IN who VARCHAR(100))
BEGIN
  -- a comment; with a semicolon
  INSERT INTO shop.customers (name, note) VALUES (who, 'added; by \'procedure\'');
  SELECT COUNT(*) FROM `shop`.customers;
END;;
CREATE FUNCTION order_total(cid INT) RETURNS DECIMAL(14,2) READS SQL DATA
BEGIN
  DECLARE total DECIMAL(14,2);
  SELECT SUM(amount) INTO total FROM shop.orders WHERE customer_id = cid;
  RETURN IFNULL(total, 0);
END;;
CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO audit (what) VALUES (CONCAT('order;', NEW.id));
END;;
CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
DO BEGIN
  DELETE FROM shop.audit WHERE id < 0;
END;;
DELIMITER ;
